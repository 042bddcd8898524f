"""What every area stands on: database, settings, staff sign-in, audit, realtime."""
