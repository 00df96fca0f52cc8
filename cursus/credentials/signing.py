"""The institution's identity for signing PDF documents: an ECDSA P-256 key and its certificate.

The key and a self-signed X.509 certificate naming the institution live in
``settings.CURSUS_CREDENTIAL_KEYS_DIR`` beside the credential keys, as
``pdf-signing-<n>.key`` (PKCS#8 PEM, mode 0600) and ``pdf-signing-<n>.crt``. The first
pair is made on first use; rotation adds a new pair and keeps the old ones. A signed PDF
carries its signer's certificate, so documents signed before a rotation still verify,
and the kept certificates let anyone match an old signature to the institution.

A pair counts once its certificate is in place: the key is linked into place first
and the certificate renamed after it, so no reader sees a key without its certificate,
and two processes making the same pair cannot both succeed.
"""

import asyncio
import io
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from cursus.credentials.issuance import INSTITUTION_NAME

PREFIX = "pdf-signing-"
# A certificate outlives any key rotation policy; documents keep their signing time.
VALIDITY = timedelta(days=365 * 30)
# How long a process waits for the pair another process is writing.
WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class SigningIdentity:
    """One numbered key of the institution and its certificate, with the files holding them."""

    number: int
    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    key_path: Path
    certificate_path: Path

    def signer(self) -> signers.SimpleSigner:
        """Return a pyHanko signer for this key and certificate."""
        # pyHanko leaves this loader unannotated; it returns a signer, or None on failure.
        signer: signers.SimpleSigner | None = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]
            str(self.key_path), str(self.certificate_path)
        )
        if signer is None:
            raise ValueError(f"The signing key {self.number} cannot be read.")
        return signer


def keys_dir() -> Path:
    """Return the configured directory of the institution's keys, made on first use."""
    directory = Path(settings.CURSUS_CREDENTIAL_KEYS_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _numbers(directory: Path) -> list[int]:
    found = []
    for path in directory.glob(f"{PREFIX}*.crt"):
        suffix = path.stem.removeprefix(PREFIX)
        if suffix.isdigit() and (directory / f"{PREFIX}{suffix}.key").exists():
            found.append(int(suffix))
    return sorted(found)


def _certificate(key: ec.EllipticCurvePrivateKey, number: int) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, INSTITUTION_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{INSTITUTION_NAME} — documents {number}"),
        ]
    )
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def _write_pair(directory: Path, number: int) -> bool:
    """Write pair ``number`` unless another process claimed it first; tell whether we did."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    certificate = _certificate(key, number).public_bytes(serialization.Encoding.PEM)
    stem = directory / f"{PREFIX}{number}"
    scratch = directory / f".{PREFIX}{number}.{os.getpid()}.{time.monotonic_ns()}"
    key_scratch = scratch.with_suffix(".key")
    descriptor = os.open(key_scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    try:
        # A hard link fails when the name exists: the claim is atomic.
        os.link(key_scratch, stem.with_suffix(".key"))
    except FileExistsError:
        return False
    finally:
        key_scratch.unlink()
    cert_scratch = scratch.with_suffix(".crt")
    cert_scratch.write_bytes(certificate)
    cert_scratch.replace(stem.with_suffix(".crt"))
    return True


def _read(directory: Path, number: int) -> SigningIdentity:
    key_path = directory / f"{PREFIX}{number}.key"
    certificate_path = directory / f"{PREFIX}{number}.crt"
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TypeError(f"{key_path.name} is not an elliptic-curve private key.")
    certificate = x509.load_pem_x509_certificate(certificate_path.read_bytes())
    return SigningIdentity(
        number=number,
        private_key=key,
        certificate=certificate,
        key_path=key_path,
        certificate_path=certificate_path,
    )


def _wait_for(directory: Path, number: int) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while number not in _numbers(directory):
        if time.monotonic() > deadline:
            raise TimeoutError(f"The signing key {number} was claimed but never finished.")
        time.sleep(0.05)


def identities() -> list[SigningIdentity]:
    """Return every signing identity of the institution, oldest first; the first made now."""
    directory = keys_dir()
    numbers = _numbers(directory)
    if not numbers:
        if not _write_pair(directory, 1):
            _wait_for(directory, 1)
        numbers = _numbers(directory)
    return [_read(directory, number) for number in numbers]


def current_identity() -> SigningIdentity:
    """Return the newest signing identity, the one that signs."""
    return identities()[-1]


def certificates() -> list[x509.Certificate]:
    """Return the certificates of every signing key, old and current, oldest first."""
    return [identity.certificate for identity in identities()]


def rotate_signing_key() -> int:
    """Add a new signing key and certificate; keep the old ones; return the new key's number."""
    number = identities()[-1].number + 1
    directory = keys_dir()
    while not _write_pair(directory, number):
        number += 1
    return number


def sign_pdf(data: bytes, *, reason: str, field_name: str) -> bytes:
    """Sign a PDF with the newest key: a PAdES signature, with its signing time, in a new field."""
    identity = current_identity()
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        name=INSTITUTION_NAME,
        location=settings.CURSUS_CREDENTIAL_HOST,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    signer = identity.signer()

    def sign() -> io.BytesIO:
        output: io.BytesIO = asyncio.run(signers.async_sign_pdf(writer, metadata, signer=signer))
        return output

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        output = sign()
    else:
        # pyHanko signs in an event loop of its own, which cannot nest in a running one
        # (an async server, a browser-driving test): sign in a thread of its own then.
        with ThreadPoolExecutor(max_workers=1) as pool:
            output = pool.submit(sign).result()
    signed: bytes = output.getvalue()
    return signed
