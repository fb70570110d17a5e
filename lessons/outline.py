"""The outline of a course: its modules and steps in tree order, from one query."""

from dataclasses import dataclass, field


@dataclass
class OutlineSection:
    """A module and its steps, or (no module) steps placed directly under the course."""

    module: object | None
    first_number: int = 1
    steps: list = field(default_factory=list)

    @property
    def minutes(self):
        return sum(step.estimated_minutes for step in self.steps)


@dataclass
class Outline:
    sections: list
    steps: list

    @property
    def step_ids(self):
        return [step.pk for step in self.steps]

    def position(self, step) -> int:
        """Return the 1-based place of a step in the course, 0 if it is not a step."""
        for number, candidate in enumerate(self.steps, start=1):
            if candidate.pk == step.pk:
                return number
        return 0

    def neighbours(self, step):
        """Return the steps before and after this one (None at either end)."""
        number = self.position(step)
        if not number:
            return None, None
        previous = self.steps[number - 2] if number > 1 else None
        following = self.steps[number] if number < len(self.steps) else None
        return previous, following

    def module_of(self, step):
        for section in self.sections:
            if section.module and any(s.pk == step.pk for s in section.steps):
                return section.module
        return None

    def module_for(self, module_page):
        """Return the section of a module page, or an empty one if it is not live."""
        for section in self.sections:
            if section.module and section.module.pk == module_page.pk:
                return section
        return OutlineSection(module=module_page)


def build_outline(course, pages) -> Outline:
    """Group the pages below a course, given in path order, into sections.

    Pages may be specific or plain `Page` objects (their content type tells the kind).

    Steps under a module that is not among `pages` (a draft or removed module) are
    left out, so they no longer count for anyone.
    """
    sections: list[OutlineSection] = []
    modules_by_path: dict[str, OutlineSection] = {}
    steps = []
    for page in pages:
        parent_path = page.path[: -page.steplen]
        page_type = page.specific_class
        if getattr(page_type, "is_course_module", False) and parent_path == course.path:
            modules_by_path[page.path] = OutlineSection(page, len(steps) + 1)
            sections.append(modules_by_path[page.path])
        elif getattr(page_type, "is_course_step", False):
            if parent_path in modules_by_path:
                section = modules_by_path[parent_path]
            elif parent_path == course.path:
                if not sections or sections[-1].module is not None:
                    sections.append(OutlineSection(None, len(steps) + 1))
                section = sections[-1]
            else:
                continue
            section.steps.append(page)
            steps.append(page)
    return Outline(sections=sections, steps=steps)
