"""The conversation's vocabulary: its states, its typed step data (over Conversation.data) and a turn's context."""

from dataclasses import dataclass, field, fields
from enum import StrEnum

from pencet.accounts.models import Office, User
from pencet.cases.models import Application
from pencet.catalog.models import Service
from pencet.whatsapp.models import Contact, InboundMessage

from .models import Conversation


class State(StrEnum):
    """Where a contact is. The values are stored in Conversation.state: never rename one."""

    NEW = "new"
    MENU = "menu"
    GROUP = "group"
    SERVICE_INFO = "service_info"
    REPLACE_CONFIRM = "replace_confirm"
    CHOOSE_ALT = "choose_alt"
    OFFER_PENDING = "offer_pending"
    COLLECT = "collect"
    QUALITY = "quality"
    NAME = "name"
    NIK = "nik"
    NIK_CONFIRM = "nik_confirm"
    PHONE = "phone"
    DISTRICT = "district"
    VILLAGE = "village"
    EMAIL = "email"
    DELIVERY = "delivery"
    PRIORITY = "priority"
    DISABILITY_SUPPORT = "disability_support"
    EVENT_DATE = "event_date"
    LATE_NOTICE = "late_notice"
    # The document's subject (pencet.bot.flows.subject): "subject_" + a catalog SubjectField code.
    SUBJECT_CHILD_NAME = "subject_child_name"
    SUBJECT_CHILD_SEX = "subject_child_sex"
    SUBJECT_CHILD_BIRTH_DATE = "subject_child_birth_date"
    SUBJECT_CHILD_BIRTH_PLACE = "subject_child_birth_place"
    SUBJECT_FATHER_NAME = "subject_father_name"
    SUBJECT_MOTHER_NAME = "subject_mother_name"
    SUBJECT_DECEASED_NAME = "subject_deceased_name"
    SUBJECT_DECEASED_NIK = "subject_deceased_nik"
    SUBJECT_DEATH_DATE = "subject_death_date"
    SUBJECT_DEATH_PLACE = "subject_death_place"
    SUMMARY = "summary"
    EDIT_CHOOSE = "edit_choose"
    EDIT_FILE = "edit_file"
    CANCEL_CONFIRM = "cancel_confirm"
    CANCEL_CHOOSE = "cancel_choose"
    COMPLAINT_TEXT = "complaint_text"
    COMPLAINT_APP = "complaint_app"

    @classmethod
    def parse(cls, value: str | None, *, default: "State | None" = None) -> "State":
        """The state stored as `value`; an unknown or empty value (an older release, a hand edit) is `default`."""
        try:
            return cls(value)
        except ValueError:
            return default or cls.MENU


@dataclass
class MediaInfo:
    """A file the channel stored, as the bot remembers it until it becomes an attachment."""

    storage_name: str
    content_type: str
    size: int
    sha256: str
    original_name: str = ""
    quality: dict = field(default_factory=dict)
    wamid: str = ""

    @classmethod
    def from_message(cls, message: InboundMessage) -> "MediaInfo":
        media = message.media
        return cls(
            storage_name=media.file.name,
            content_type=media.content_type,
            size=media.size,
            sha256=media.sha256,
            original_name=media.original_name,
            quality=media.quality or {},
            wamid=message.wamid,
        )

    @classmethod
    def from_dict(cls, value: dict) -> "MediaInfo":
        return cls(
            storage_name=str(value.get("storage_name", "")),
            content_type=str(value.get("content_type", "")),
            size=int(value.get("size") or 0),
            sha256=str(value.get("sha256", "")),
            original_name=str(value.get("original_name") or ""),
            quality=dict(value.get("quality") or {}),
            wamid=str(value.get("wamid") or ""),
        )

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def problems(self) -> list[str]:
        return list(self.quality.get("problems") or [])


@dataclass
class ConvData:
    """What the steps remember between messages; stored as JSON in Conversation.data (only non-default values)."""

    # The options last offered as [id, title]; a tap or typed answer is only accepted if it is still on offer.
    options: list[list[str]] = field(default_factory=list)
    # What a listed option stands for in full (its row description), so typed words can name it.
    hints: dict[str, str] = field(default_factory=dict)
    # Ids a typed number picks when they differ from the options (the numbered text menu of all services).
    numbered: list[str] = field(default_factory=list)
    # Files sent before they were asked for, offered for the next requirement.
    pending: list[MediaInfo] = field(default_factory=list)
    # "intake" (a new draft) or "fix" (the items an officer returned).
    mode: str = ""
    # Requirement ids per slot (alternatives share one) and the slot being collected.
    slots: list[list[int]] = field(default_factory=list)
    slot: int = 0
    req: int | None = None
    pages: int = 0
    # The photo flagged for quality, kept until the citizen decides, and what was wrong with it.
    flagged: int | None = None
    problems: list[str] = field(default_factory=list)
    # Fix mode: requirements whose old files were already marked not current.
    replaced: list[int] = field(default_factory=list)
    # A NIK typed and waiting for the citizen's confirmation.
    nik: str = ""
    # Correcting one item from the summary: the step returns to the summary instead of going on.
    edit: bool = False
    service: int | None = None
    group: str = ""
    # The services a sentence may have meant ("akta" alone), listed for the citizen to choose.
    likely: list[str] = field(default_factory=list)
    # Village choice: the district chosen, the page shown, the villages matching what was typed.
    district: str = ""
    page: int = 0
    village_matches: list[str] = field(default_factory=list)
    # The step to go back to after `menu` (Lanjutkan draf) or after a cancellation was withdrawn.
    resume_state: str = ""
    cancel_return: str = ""
    cancel_app: int | None = None
    # A returned application to fix once the current draft is finished.
    queued_fix: int | None = None
    # A complaint being filed: its text and category, and the step to go back to afterwards.
    complaint_text: str = ""
    complaint_category: str = ""
    complaint_return: str = ""
    # When the bot handed the conversation to an officer (ISO time); it stays quiet until then + the time-out.
    handoff_at: str = ""

    @classmethod
    def from_dict(cls, value: dict | None) -> "ConvData":
        """Read the stored JSON; unknown keys are dropped and missing ones take their defaults."""
        value = value if isinstance(value, dict) else {}
        known = {f.name for f in fields(cls)}
        data = cls(**{k: v for k, v in value.items() if k in known and v is not None})
        data.pending = [p if isinstance(p, MediaInfo) else MediaInfo.from_dict(p) for p in data.pending]
        data.options = [[str(i), str(t)] for i, t in data.options]
        return data

    def to_dict(self) -> dict:
        stored: dict = {}
        default = ConvData()
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name):
                continue
            stored[f.name] = [p.to_dict() for p in value] if f.name == "pending" else value
        return stored


@dataclass
class Ctx:
    """One turn: the locked conversation, who is talking, and the message being answered (None when an officer's
    action starts the turn)."""

    conv: Conversation
    contact: Contact
    office: Office
    message: InboundMessage | None
    staff: User | None
    data: ConvData
    # Outside the 24-hour window free-form messages cannot go out; the template already said what is needed.
    quiet: bool = False
    # The menu opens with the greeting (first contact, "halo").
    greet: bool = False
    # The menu as a short hello and the list of groups, without the numbered list of every service.
    brief: bool = False
    # The state the conversation was in when the engine last moved it.
    came_from: State | None = None
    # The active catalogue as this turn read it (read once: a turn that moves on to a group asks for it twice).
    services: list[Service] | None = None

    @property
    def state(self) -> State:
        return State.parse(self.conv.state)

    @property
    def application(self) -> Application | None:
        return self.conv.application

    @property
    def actor_label(self) -> str:
        """How the timeline names the citizen acting through WhatsApp (staff act as themselves)."""
        return "" if self.staff else "warga"
