"""The project's error families. Each outside system or failure family gets one."""


class AqparatError(Exception):
    """Base of every error Aqparat raises on purpose."""
