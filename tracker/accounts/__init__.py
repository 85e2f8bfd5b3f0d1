"""Accounts: who may log in, with which role and for which actors (services, roles), and
the pages where coordinators manage accounts and everyone sets preferences."""
