"""Media in S3-compatible object storage (django-storages), against a real S3 server.

No bucket is reachable from a test machine, so the test starts moto's S3 server (a Python
package, pinned in the test extras) on a free loopback port. Every instance is configured
only by the variables docs/deployment.md names (AWS_STORAGE_BUCKET_NAME,
AWS_S3_ENDPOINT_URL, keys and region), in processes of its own, on the engine the suite runs
on: an image is uploaded, a rendition made and fetched by its public URL, and a backup of the
instance is restored into another one whose bucket starts empty.
"""

import io
import json
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request

import boto3
import pytest
from PIL import Image as PILImage

from tests.test_backup import BASE_DIR, instance_env, new_database_url, run  # noqa: F401
from tests.test_deploy import free_port

PRODUCTION_SETTINGS = "commune_site.settings.production"

UPLOAD = """
import json, sys, django
django.setup()
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from wagtail.images.models import Image
with open(sys.argv[1], "rb") as photo:
    image = Image(title="Thanh long ruột đỏ", file=ImageFile(photo, name="thanh-long.jpg"))
    image.save()
rendition = image.get_rendition("fill-120x90")
print(json.dumps({"storage": type(default_storage._wrapped).__name__,
                  "original": image.file.name, "rendition": rendition.file.name,
                  "url": rendition.url, "size": [image.width, image.height]}))
"""

VERIFY = """
import json, django
django.setup()
from django.core.files.storage import default_storage
from wagtail.images.models import Image
image = Image.objects.get()
with image.open_file() as original:
    data = original.read()
rendition = image.get_rendition("fill-120x90")
print(json.dumps({"images": Image.objects.count(), "original": image.file.name,
                  "original_exists": default_storage.exists(image.file.name),
                  "original_bytes": data.hex(), "rendition": rendition.file.name,
                  "rendition_url": rendition.url}))
"""


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """moto's S3 server in a process of its own, on loopback."""
    port = free_port()
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            cwd=BASE_DIR,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"the S3 server did not start: {log.read_text()}")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


def s3_env(env, endpoint, bucket):
    return {
        **env,
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "commune-test",
        "AWS_SECRET_ACCESS_KEY": "commune-test-secret",
    }


def public_read(bucket):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def last_json(output):
    return json.loads(output.strip().splitlines()[-1])


def test_uploads_renditions_backup_and_restore_live_in_the_bucket(
    tmp_path, s3_endpoint, new_database_url  # noqa: F811 (a fixture)
):
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="commune-test",
        aws_secret_access_key="commune-test-secret",
    )
    for bucket in ("commune-media", "commune-media-restored"):
        s3.create_bucket(Bucket=bucket)
        # Media URLs are plain, so the bucket lets anyone read (docs/deployment.md).
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read(bucket)))
    photo = tmp_path / "thanh-long.jpg"
    PILImage.new("RGB", (640, 480), (200, 30, 90)).save(photo, "JPEG")

    source = s3_env(
        instance_env(tmp_path, "source", new_database_url("source"), PRODUCTION_SETTINGS),
        s3_endpoint,
        "commune-media",
    )
    run(source, "manage.py", "migrate", "--noinput", "-v0")
    uploaded = last_json(run(source, "-c", UPLOAD, str(photo)))
    assert uploaded["storage"] == "S3Storage"
    assert uploaded["size"] == [640, 480]
    # The original is the uploaded file, byte for byte; the rendition is a real 120×90 image.
    stored = s3.get_object(Bucket="commune-media", Key=uploaded["original"])["Body"].read()
    assert stored == photo.read_bytes()
    rendition = s3.get_object(Bucket="commune-media", Key=uploaded["rendition"])["Body"].read()
    assert PILImage.open(io.BytesIO(rendition)).size == (120, 90)
    # Pages link renditions by a plain URL on the bucket, which serves them to anyone.
    assert uploaded["url"].startswith(f"{s3_endpoint}/commune-media/")
    with urllib.request.urlopen(uploaded["url"], timeout=30) as response:
        assert response.read() == rendition
    assert not (tmp_path / "source-media").exists()  # nothing went to the local folder

    run(source, "manage.py", "backup", "--output", str(tmp_path / "backup"))
    with tarfile.open(tmp_path / "backup" / "media.tar.gz") as archive:
        archived = {member.name for member in archive if member.isfile()}
    assert archived == {f"./{uploaded['original']}", f"./{uploaded['rendition']}"}

    # Restored into a new instance with an empty bucket of its own: the files come from the
    # backup, under the names the restored database refers to.
    target = s3_env(
        instance_env(tmp_path, "target", new_database_url("target"), PRODUCTION_SETTINGS),
        s3_endpoint,
        "commune-media-restored",
    )
    run(target, "manage.py", "restore", "--input", str(tmp_path / "backup"))
    restored = last_json(run(target, "-c", VERIFY))
    assert restored == {
        "images": 1,
        "original": uploaded["original"],
        "original_exists": True,
        "original_bytes": photo.read_bytes().hex(),
        "rendition": uploaded["rendition"],  # found, not made again
        "rendition_url": uploaded["url"].replace("/commune-media/", "/commune-media-restored/"),
    }
    keys = {
        item["Key"]
        for item in s3.list_objects_v2(Bucket="commune-media-restored").get("Contents", [])
    }
    assert keys == {uploaded["original"], uploaded["rendition"]}


def test_restore_into_object_storage_refuses_a_name_outside_the_media_folder():
    from django.core.files.storage import InMemoryStorage

    from showcase.management.commands.restore import restore_into_storage

    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w:gz") as archive:
        for name in ("./images/ok.jpg", "../outside.jpg"):
            info = tarfile.TarInfo(name)
            info.size = 2
            archive.addfile(info, io.BytesIO(b"ok"))
    packed.seek(0)
    storage = InMemoryStorage()
    with tarfile.open(fileobj=packed, mode="r:gz") as archive:
        with pytest.raises(tarfile.OutsideDestinationError):
            restore_into_storage(archive, storage)
    assert storage.listdir("") == (["images"], [])
    assert storage.listdir("images") == ([], ["ok.jpg"])
