"""Every model of every domain, imported once so that Alembic and the tests see the whole schema."""

import casemgmt.crosscheck.models  # noqa: F401  (cross-check: issue 9)
import casemgmt.models  # noqa: F401
import portal.funding.models  # noqa: F401
import portal.meetings.models  # noqa: F401
import portal.training.models  # noqa: F401
import questionnaires.models  # noqa: F401
import reports.models  # noqa: F401  (report files built by the worker)
from portal.accounts.models import ApiToken, OneTimeLink, User  # noqa: F401
from portal.audit import AuditChainHead, AuditEntry  # noqa: F401
from portal.db import Base
from portal.directory.models import Agency, Country, PresidencyTerm, Spoc  # noqa: F401
from portal.files import StoredFile  # noqa: F401
from portal.jobs.models import JobFailure  # noqa: F401
from portal.mail import OutboxMessage  # noqa: F401
from portal.settings import NetworkSetting  # noqa: F401

metadata = Base.metadata
