"""Resources several stages share: gazetteer, transliteration keys, embeddings, clustering, LLM client."""
