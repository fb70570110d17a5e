from django.dispatch import receiver

from certificates.issuing import forget_holder, issue_certificate
from lessons.signals import course_completed
from people.signals import person_anonymised


@receiver(course_completed, dispatch_uid="certificates.issue_on_completion")
def issue_on_completion(sender, enrollment, **kwargs):
    issue_certificate(enrollment)


@receiver(person_anonymised, dispatch_uid="certificates.forget_holder")
def forget_anonymised_holder(sender, person, **kwargs):
    forget_holder(person)
