"""NIK and KK numbers (REFERENCE.md "Numbers")."""


def nik_mask(nik: str) -> str:
    """Show only what an officer needs to tell two people apart: 7307••••••••0042."""
    digits = (nik or "").strip()
    if len(digits) < 8:
        return "•" * len(digits)
    return digits[:4] + "•" * (len(digits) - 8) + digits[-4:]
