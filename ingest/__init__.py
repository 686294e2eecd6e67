"""The feed side of newswire: settings, logging, safe HTTP, feeds, cleaning, the poller."""
