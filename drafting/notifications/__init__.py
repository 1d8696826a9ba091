"""Notifications: mail through an outbox written with the event, reminders, and feeds."""
