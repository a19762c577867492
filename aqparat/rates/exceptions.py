from aqparat.core.exceptions import AqparatError


class RatesFeedError(AqparatError):
    """The National Bank feed could not be fetched or did not hold usable rates."""
