"""``--model provider:name``: a real agno model instead of the script, checked before the server starts."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

# Providers whose agno class is not the one agno's own "provider:id" table picks.
_OVERRIDES: dict[str, tuple[str, str]] = {
    "openai": ("agno.models.openai", "OpenAIChat"),
    "gemini": ("agno.models.google", "Gemini"),
    "claude": ("agno.models.anthropic", "Claude"),
}
# Environment variables that hold each provider's key (any one of them will do).
API_KEYS: dict[str, tuple[str, ...]] = {
    "openai": ("OPENAI_API_KEY",),
    "openai-chat": ("OPENAI_API_KEY",),
    "openai-responses": ("OPENAI_API_KEY",),
    "anthropic": ("ANTHROPIC_API_KEY",),
    "claude": ("ANTHROPIC_API_KEY",),
    "google": ("GOOGLE_API_KEY", "GEMINI_API_KEY"),
    "gemini": ("GOOGLE_API_KEY", "GEMINI_API_KEY"),
    "groq": ("GROQ_API_KEY",),
    "mistral": ("MISTRAL_API_KEY",),
    "deepseek": ("DEEPSEEK_API_KEY",),
    "xai": ("XAI_API_KEY",),
    "openrouter": ("OPENROUTER_API_KEY",),
    "together": ("TOGETHER_API_KEY",),
    "fireworks": ("FIREWORKS_API_KEY",),
    "cerebras": ("CEREBRAS_API_KEY",),
    "cohere": ("CO_API_KEY", "COHERE_API_KEY"),
    "perplexity": ("PERPLEXITY_API_KEY",),
}


class ModelSpecError(ValueError):
    """A ``--model`` value that cannot be used; the message says what to do."""


def _agno_classes() -> dict[str, tuple[str, str]]:
    from agno.models.utils import MODEL_PROVIDER_CLASSES

    return {**MODEL_PROVIDER_CLASSES, **_OVERRIDES}


def model_factory(spec: str, environ: dict[str, str] | None = None) -> Callable[[], Any]:
    """A function making a fresh agno model for ``spec`` (e.g. ``openai:gpt-4o-mini``).

    Raises ModelSpecError when the spec is malformed, the provider unknown, its package missing
    or its API key not in the environment.
    """
    env = dict(os.environ if environ is None else environ)
    provider, _, model_id = spec.partition(":")
    provider, model_id = provider.strip().lower(), model_id.strip()
    if not provider or not model_id:
        raise ModelSpecError(f"--model expects provider:name, e.g. openai:gpt-4o-mini (got {spec!r})")
    classes = _agno_classes()
    if provider not in classes:
        known = ", ".join(sorted(classes))
        raise ModelSpecError(f"--model: unknown provider {provider!r}; agno knows: {known}")
    keys = API_KEYS.get(provider, ())
    if keys and not any(env.get(k) for k in keys):
        raise ModelSpecError(f"--model {spec}: set {' or '.join(keys)} in the environment first")
    module_name, class_name = classes[provider]
    try:
        model_class = getattr(importlib.import_module(module_name), class_name)
    except ImportError as exc:
        raise ModelSpecError(f"--model {spec}: the provider's package is missing ({exc})") from exc

    def make() -> Any:
        return model_class(id=model_id)

    make()  # fail now, not on the first run, if the class rejects the id
    return make
