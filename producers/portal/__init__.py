"""The producer portal: a small, phone-first self-service area on each commune host."""
