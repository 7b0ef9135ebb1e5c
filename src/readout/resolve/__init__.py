"""The resolve stage: person mentions to entities of a knowledge base of people.

    from readout.resolve import Resolver
    Resolver.default().resolve("Denis Mantrov", country="RUS").name   # "Denis Manturov"
"""
from readout.resolve.kb import Person, Title
from readout.resolve.normalize import fold, new_entity_id
from readout.resolve.resolver import Resolution, Resolver

__all__ = ["Person", "Resolution", "Resolver", "Title", "fold", "new_entity_id"]
