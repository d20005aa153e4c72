"""The supplier portal: a vendor or provider answers the Step 3 checklists (Tables 3-10 to 3-12) for its own party; the factory accepts or questions each answer."""
