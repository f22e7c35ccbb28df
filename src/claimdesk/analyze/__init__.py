"""NLP over cleaned articles: one spaCy pass per document, small modules reading the Doc."""
