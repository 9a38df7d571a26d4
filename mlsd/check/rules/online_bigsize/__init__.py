"""online-bigsize: models too big or slow for online serving (OB). Static rules show risk only."""
