"""Analytics pipeline for the work of family assistants (asystenci rodziny) in Polish welfare centres."""

__version__ = "0.1.0"
