"""Factory spaces and their element store."""
