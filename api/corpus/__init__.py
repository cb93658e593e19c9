"""The corpus loader: source documents and facts files, validated, then written to the store."""
