"""A dataset made by spl-lite ingest, as its readers see it: the description file, the columns
it holds, and where its Parquet files are. The writer is spl_lite.ingest."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import SplError

DATASET_FILE = "_spl_lite.json"
FORMAT = 1
WORK_PREFIX = ".ingest-"  # an ingest's work folder inside the dataset; gone when it finishes

# CloudTrail's top-level scalar fields (Athena's cloudtrail_logs table has each as a column).
FIELD_COLUMNS = ("eventVersion", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
                 "userAgent", "errorCode", "errorMessage", "requestID", "eventID", "readOnly", "eventType",
                 "apiVersion", "managementEvent", "recipientAccountId", "sharedEventID", "vpcEndpointId",
                 "eventCategory", "sessionCredentialFromConsole")
# The free-form subtrees, as JSON text.
JSON_COLUMNS = ("userIdentity", "requestParameters", "responseElements", "additionalEventData",
                "serviceEventDetails", "resources", "tlsDetails")
METADATA = ("index", "sourcetype", "source", "host")


def unfinished(path: Path) -> list[Path]:
    return [p for p in path.iterdir() if p.name.startswith(WORK_PREFIX) and p.is_dir()]


def read_dataset(path: Path) -> dict | None:
    """The description of a dataset made by ingest, or None when ``path`` is not one. A
    dataset whose ingest did not finish, or whose description is not what ingest writes, is an
    error: it is never read as a folder of JSON files, nor half read."""
    marker = Path(path) / DATASET_FILE
    if not marker.is_file():
        if unfinished(Path(path)):
            raise SplError(f"{path} is a dataset whose ingest did not finish: run spl-lite ingest again "
                           "(into this directory, which it then empties, or a new one).")
        return None
    try:
        info = json.loads(marker.read_text())
    except (OSError, ValueError) as e:
        raise SplError(f"{marker}: not a dataset description ({e})") from None
    if not isinstance(info, dict) or info.get("format") != FORMAT:
        found = info.get("format") if isinstance(info, dict) else None
        raise SplError(f"{marker}: a dataset of format {found}; this spl_lite reads format {FORMAT}")
    events, fields, json_fields = info.get("events"), info.get("fields"), info.get("json")
    if type(events) is not int or events < 0 or not _names_of(fields, FIELD_COLUMNS) \
            or not _names_of(json_fields, JSON_COLUMNS):
        raise SplError(f"{marker}: not a dataset description as spl-lite ingest writes it (events, "
                       "fields and json do not hold what it wrote): run spl-lite ingest again.")
    if not parquet_files(Path(path)):
        raise SplError(f"{path} holds no Parquet files: "
                       + ("its ingest read no events." if events == 0 else "they were removed or moved."))
    return info


def _names_of(names, known: tuple) -> bool:
    return isinstance(names, list) and all(isinstance(n, str) and n in known for n in names)


def parquet_files(path: Path) -> list[str]:
    """The dataset's Parquet files, found by walking it: its path is data, never a glob (a
    directory named * or ds[1] reads itself, not its siblings)."""
    return sorted(str(p) for p in Path(path).rglob("*.parquet") if p.is_file())
