"""People who use factlog (editors, fact-checkers, admins) and the API tokens they hold."""
