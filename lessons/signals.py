from django.dispatch import Signal

# Sent once per enrolment, when its course becomes complete; sender is Enrollment,
# with keyword arguments `enrollment`, `user` and `course`.
course_completed = Signal()
