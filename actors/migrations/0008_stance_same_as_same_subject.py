"""A stance is the same stance as one of the same actor on the same topic, in the database
too: `same_as` with the stance's actor and topic is a foreign key to the other's id, actor and
topic (the model's `clean()` says it in words; this holds against writes that bypass it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("actors", "0007_stance_curator_note_same_as")]

    operations = [
        migrations.RunSQL(
            sql=[
                "ALTER TABLE actors_stance ADD CONSTRAINT actors_stance_id_subject "
                "UNIQUE (id, actor_id, topic_id)",
                "ALTER TABLE actors_stance ADD CONSTRAINT actors_stance_same_as_same_subject "
                "FOREIGN KEY (same_as_id, actor_id, topic_id) "
                "REFERENCES actors_stance (id, actor_id, topic_id)",
            ],
            reverse_sql=[
                "ALTER TABLE actors_stance DROP CONSTRAINT actors_stance_same_as_same_subject",
                "ALTER TABLE actors_stance DROP CONSTRAINT actors_stance_id_subject",
            ],
        )
    ]
