"""The producer portal (/produsen/...): sign-in links, and the pages where producers run their orders."""
