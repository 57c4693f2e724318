from django.db import migrations


class Migration(migrations.Migration):
    """Usernames appear in representations (who decided a stance, who made a change), so
    renaming or deleting a user is a change of the record for response caches too. Logins,
    which only touch `last_login`, are not."""

    dependencies = [
        ("events", "0003_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE TRIGGER auth_user_bump_data_version "
                "AFTER UPDATE OF username OR DELETE ON auth_user "
                "FOR EACH STATEMENT EXECUTE FUNCTION chronicle_bump_data_version()"
            ),
            reverse_sql="DROP TRIGGER auth_user_bump_data_version ON auth_user",
        ),
    ]
