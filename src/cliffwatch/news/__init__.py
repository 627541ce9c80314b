"""News to numbers: read news, extract companies, topics and credit catalysts."""
