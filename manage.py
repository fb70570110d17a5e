#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # By hand on a development machine there is no SECRET_KEY: commands then run
    # with the local defaults. Production sets SECRET_KEY (and DEBUG stays off);
    # the WSGI entry point never assumes this.
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
