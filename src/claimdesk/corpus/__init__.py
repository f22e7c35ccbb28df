"""The corpus layer: links what one article says to what is already known.

``match`` finds, for a claim as written anywhere (a tweet, an article's sentence),
the stored claims it repeats. It never imports ``store`` or ``web``: the store keeps
a matcher's folder beside its database and calls the same functions.
"""
