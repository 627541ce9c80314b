"""Closed-form oracles the product is checked against; the product itself does not run them."""
