from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from quizzes.editing import import_gift_text
from quizzes.models import QuizPage


class Command(BaseCommand):
    help = "Add the questions of a GIFT file to a quiz (as a new draft revision)."

    def add_arguments(self, parser):
        parser.add_argument("quiz_page_id", type=int)
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report only; change nothing."
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the new revision."
        )

    def handle(self, *args, quiz_page_id, file, dry_run, publish, **options):
        quiz = QuizPage.objects.filter(pk=quiz_page_id).first()
        if quiz is None:
            raise CommandError(f"No quiz page has the id {quiz_page_id}.")
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        try:
            result = import_gift_text(quiz, text, dry_run=dry_run, publish=publish)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        for line, message in result.errors:
            self.stdout.write(f"line {line}: not imported: {message}")
        for line, message in result.notes:
            self.stdout.write(f"line {line}: note: {message}")
        verb = "Would add" if dry_run else "Added"
        where = "" if dry_run else (" (published)" if publish else " to a draft")
        self.stdout.write(
            f"{verb} {len(result.questions)} questions{where}; "
            f"{len(result.errors)} could not be read."
        )
