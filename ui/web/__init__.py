"""Gradio workspace mounted at /ui (chat, self-check + scoring, report pre-check, knowledge base)."""
