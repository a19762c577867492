class PublicationBlocked(Exception):
    """This version cannot be published yet (e.g. a photo lacks its credit).

    Raised from the publication itself, so every path meets it; the transaction it
    happens in rolls back (a workflow approval stays pending). In the admin,
    `newsroom.middleware` turns it into the message and a way back, not a 500.
    """
