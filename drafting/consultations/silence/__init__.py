"""The silence procedure: a published draft put under silence until a deadline, broken by a
delegation's written statement, or adopted when the deadline passes unbroken.

Loading it registers its tables and the policy's rules on it."""

from drafting.consultations.silence import models, policy  # noqa: F401
