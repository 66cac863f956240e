from django.db import migrations

# A street-level import writes about a million rows in one COPY, and each row takes
# its id from the table's identity sequence. With the default cache of 1, every
# nextval() locks the sequence's page and every 32nd writes a WAL record: measured at
# 15-20% of the COPY into the table (docs/imports.md, "Sequence cache"). A cache of
# 1,000 values per session makes that once per 1,000 rows. Ids stay unique; a session
# that ends leaves a gap of its unused values, which nothing depends on (rows are
# addressed by batch, never by id; within one import the ids still increase in file
# order, and the row tests order by id within a batch only).
FORWARD = "ALTER TABLE sharing_policestreetrecord ALTER COLUMN id SET CACHE 1000"
BACKWARD = "ALTER TABLE sharing_policestreetrecord ALTER COLUMN id SET CACHE 1"


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0007_s17_requests"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
