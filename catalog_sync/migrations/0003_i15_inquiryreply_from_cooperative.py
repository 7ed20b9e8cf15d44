from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("catalog_sync", "0002_listing_input_hash"),
    ]

    operations = [
        migrations.AddField(
            model_name="inquiryreply",
            name="from_cooperative",
            field=models.BooleanField(default=False),
        ),
    ]
