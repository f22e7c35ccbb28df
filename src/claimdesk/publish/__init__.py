"""Turn articles into what other programs and people read: the JSON contract, console views."""
