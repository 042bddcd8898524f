"""The routes that change something yet need no idempotency key, each with the reason a second
identical request changes nothing more than the first (read by
``test_every_post_is_retry_safe``; see its docstring and docs/idempotency.md)."""

from __future__ import annotations

#: Route path -> why sending it twice changes nothing more than sending it once.
NATURALLY_IDEMPOTENT: dict[str, str] = {
    "/api/v1/settings": "A PATCH sets the fields sent to the values sent: the same body again "
    "changes nothing more.",
    "/pair/code": "A waiting screen asks for a code: each ask makes a new one (capped per "
    "address and per restaurant) and the old one simply expires unused.",
    "/pair/wait": "A waiting screen asks whether its code was typed: a question, not a change.",
    "/api/v1/device-pairings": "A waiting agent asks for a code: each ask makes a new one "
    "(capped) and the old one expires unused.",
    "/api/v1/device-pairings/wait": "A waiting agent asks whether its code was typed.",
    # The back office's menu, lists, stations and printers: adding takes a key; the rest set
    # what the form shows, so the same form again leaves the same thing.
    "/office/menu/categories/{category_id:int}": "Sets the category to the values on the form.",
    "/office/menu/categories/{category_id:int}/archive": "Archiving what is archived keeps it.",
    "/office/menu/categories/{category_id:int}/restore": "Restoring what is on keeps it on.",
    "/office/menu/items/{item_id:int}": "Sets the item, and the groups it asks, to the form's.",
    "/office/menu/items/{item_id:int}/archive": "Archiving what is archived keeps it.",
    "/office/menu/items/{item_id:int}/restore": "Restoring what is on keeps it on.",
    "/office/menu/import": "Rows are matched by category and item name: the same file again "
    "changes each item to the same values and adds nothing.",
    "/office/menu/modifiers/{group_id:int}": "Sets the group to the values on the form.",
    "/office/menu/modifiers/{group_id:int}/archive": "Archiving what is archived keeps it.",
    "/office/menu/modifiers/{group_id:int}/restore": "Restoring what is on keeps it on.",
    "/office/menu/modifiers/options/{option_id:int}": "Sets the option to the form's values.",
    "/office/menu/modifiers/options/{option_id:int}/archive": "Archiving keeps it archived.",
    "/office/menu/modifiers/options/{option_id:int}/restore": "Restoring keeps it on.",
    "/office/taxes/{rate_id:int}": "Sets the rate's name and percentage to the form's.",
    "/office/taxes/{rate_id:int}/archive": "Archiving what is archived keeps it.",
    "/office/taxes/{rate_id:int}/restore": "Restoring what is on keeps it on.",
    "/office/discounts/{discount_id:int}": "Sets the discount to the values on the form.",
    "/office/discounts/{discount_id:int}/offer": "Offering what is offered keeps it offered.",
    "/office/discounts/{discount_id:int}/retire": "Retiring what is retired keeps it retired.",
    "/office/stations/{station_id:int}": "Sets the station's name and timers to the form's.",
    "/office/printers/{printer_id:int}": "Sets the printer's name, address and paper.",
    "/office/printers/receipts": "Makes the printer picked the one receipt printer.",
    "/office/printers/stations/{station_id:int}": "Sets the station's printer and backup.",
    "/api/v1/office/menu/categories/{category_id:int}": "A PUT of the whole category.",
    "/api/v1/office/menu/categories/{category_id:int}/archived": "A PUT of the archive flag.",
    "/api/v1/office/menu/items/{item_id:int}": "A PUT of the whole item and its groups.",
    "/api/v1/office/menu/items/{item_id:int}/archived": "A PUT of the archive flag.",
    "/api/v1/office/menu/modifier-groups/{group_id:int}": "A PUT of the whole group.",
    "/api/v1/office/menu/modifier-groups/{group_id:int}/archived": "A PUT of the archive flag.",
    "/api/v1/office/menu/options/{option_id:int}": "A PUT of the whole option.",
    "/api/v1/office/menu/options/{option_id:int}/archived": "A PUT of the archive flag.",
    "/api/v1/office/tax-rates/{rate_id:int}": "A PUT of the whole rate.",
    "/api/v1/office/tax-rates/{rate_id:int}/archived": "A PUT of the archive flag.",
    "/api/v1/office/discounts/{discount_id:int}": "A PUT of the whole discount.",
    "/api/v1/office/discounts/{discount_id:int}/offered": "A PUT of the offered flag.",
    "/setup": "Opens the restaurant once: while a location exists it opens nothing again and "
    "sends everyone to sign in.",
    "/office/settings": "Sets every setting to the value on the form: the same form again "
    "sets the same values (a tax-mode change bumps the open checks only when it changes).",
    "/login": "The PIN pad: signing in again only rotates this tablet's session.",
    "/pair": "A kitchen screen signs in with its device token: again, it only rotates the "
    "screen's session.",
    "/logout": "Signing out a session that is already signed out does nothing.",
    "/me/pin": "Needs the PIN the person has now: after a change that went through, the same "
    "form types the old PIN, which no longer matches, so nothing changes.",
    "/staff/hire": "Names are unique on the roster: the same form again is refused as a "
    "duplicate name, so nobody is hired twice.",
    "/staff/{staff_id:int}/edit": "Sets name and role to the values on the form.",
    "/staff/{staff_id:int}/pin": "Sets the PIN to the one typed.",
    "/staff/{staff_id:int}/deactivate": "A person already deactivated is left as they are.",
    "/staff/{staff_id:int}/reactivate": "A person already active is left as they are.",
    "/staff/{staff_id:int}/sign-out": "Ends the person's open sessions: a second time none "
    "are left.",
    "/staff/{staff_id:int}/unlock": "Clears the person's wrong PINs: a second time there are "
    "none to clear.",
    "/staff/api-keys/{key_id:int}/revoke": "Revoking keeps the first moment (coalesce): a "
    "revoked key stays revoked.",
    "/floor/tables/{table_id:int}/clean": "Only a table waiting for bussing is marked clean: "
    "a second tap finds nothing to do.",
    "/floor/tables/{table_id:int}/picked-up": "Only a check showing food ready is cleared, "
    "under its row lock: a second tap finds nothing to do.",
    "/floor/tables/{table_id:int}/section": "Puts the table in the section picked (absolute).",
    "/floor/layout/floors/rename": "Sets the floor's name to the one typed.",
    "/menu/86/items/{item_id:int}/86": "Sets the item off (until a time): the same again sets "
    "the same state.",
    "/menu/86/items/{item_id:int}/back": "Sets the item on again.",
    "/menu/86/items/{item_id:int}/countdown": "Sets the portions left to the number on the "
    "button (the +/- buttons post the result, not a step).",
    "/kds/{station_id:int}/tickets/{ticket_id:int}/allergy": "Confirming an allergy is done "
    "once: a second tap is refused as already confirmed and writes nothing.",
    "/kds/routing/categories": "Sets the category's stations to the ones ticked.",
    "/kds/routing/items/{item_id:int}": "Sets the item's stations (or back to its category's).",
    "/checks/{check_id:int}/pay/card/cancel": "Names the card attempt by its own key: once it "
    "is final, a second cancel answers with that outcome and asks the terminal nothing.",
    "/checks/{check_id:int}/pay/terminal": "Demo and training: sets what the simulated "
    "terminal does with the next charge (absolute).",
    "/checks/{check_id:int}/pay/close": "Carries the check's version: once closed, a second "
    "close is refused (the check is closed and a newer version) and changes nothing.",
    "/checks/{check_id:int}/bill/unlock": "A PIN pad that takes the tablet back from the "
    "guest: unlocking an unlocked tablet changes nothing.",
    "/printers/tickets/{ticket_id:int}/retry": "Queues the ticket's failed jobs again: a "
    "second time none is failed, so it is refused and nothing is queued twice.",
    "/api/v1/sessions": "Signing in over the API: a retry makes another bearer token and the "
    "unused one expires. A token is a secret, so it is never kept to be answered again.",
    # The chart of accounts: adding takes a key; the rest set what the form or body says.
    "/office/accounts/{account_id:int}": "Sets the account's name (and kind) to the form's.",
    "/office/accounts/{account_id:int}/archive": "Archiving what is archived keeps it.",
    "/office/accounts/{account_id:int}/restore": "Restoring what is on keeps it on.",
    "/office/accounts/purposes": "Points the purpose at the account picked (absolute).",
    "/office/accounts/purposes/unmap": "Removes the purpose's own mapping: a second time "
    "there is none to remove.",
    "/api/v1/accounts/{account_id:int}": "A PATCH sets the fields sent to the values sent.",
    "/api/v1/accounts/purposes": "A PUT of where the purpose posts (absolute).",
    # Inventory's back office and API: adding takes a key; the rest set what is sent.
    "/office/inventory/ingredients/{ingredient_id:int}": "Sets the ingredient's name, area "
    "and counting to the form's.",
    "/office/inventory/ingredients/{ingredient_id:int}/archive": "Archiving keeps it archived.",
    "/office/inventory/ingredients/{ingredient_id:int}/restore": "Restoring keeps it on.",
    "/office/inventory/recipes/{item_id:int}": "Replaces the item's whole recipe with the "
    "form's lines: the same form again leaves the same recipe (and writes no audit row).",
    "/office/inventory/options/{option_id:int}": "Replaces the option's whole changes.",
    "/office/inventory/par": "Sets the ingredient's par level to the form's.",
    "/office/inventory/orders/{order_id:int}/send": "Sending a sent order leaves it sent.",
    "/office/inventory/orders/{order_id:int}/cancel": "Cancelling a cancelled order keeps it so.",
    "/api/v1/purchasing/orders/{order_id:int}/send": "Sending a sent order leaves it sent.",
    "/api/v1/purchasing/orders/{order_id:int}/cancel": "Cancelling a cancelled order keeps it so.",
    "/api/v1/inventory/ingredients/{ingredient_id:int}": "A PATCH sets the fields sent.",
    "/api/v1/inventory/recipes/{item_id:int}": "A PUT of the whole recipe.",
    "/api/v1/inventory/options/{option_id:int}/changes": "A PUT of the option's whole changes.",
}
