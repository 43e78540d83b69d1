"""Interfaces: CLI, REST API, Gradio workspace, chat widget. Nothing imports ui."""
