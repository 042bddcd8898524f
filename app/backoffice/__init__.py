"""The back office's shell: the first-run set-up, its navigation and the location's settings.
Screens that edit an area live with that area (the menu editor in ``app/menu``)."""
