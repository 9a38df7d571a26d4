"""What each command shows: rich tables for people, JSON for scripts; one module per
command group. Views call the api and print; they do no work of their own."""
