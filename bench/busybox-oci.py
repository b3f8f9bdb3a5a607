#!/usr/bin/env python3
"""Writes a one-layer busybox image (Debian's busybox-static and its applet links) as an OCI image-layout tar.

Usage: busybox-oci.py REFERENCE OUT.tar   (the same image the integration tests build in OciImageLayout.java;
ready for `ctr images import`, which names it after the index's org.opencontainers.image.ref.name annotation)
"""
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile


def blob(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def add(tar, name, data, mode=0o644):
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), mode, 0
    tar.addfile(info, io.BytesIO(data))


def layer_tar():
    applets = subprocess.run(["/bin/busybox", "--list"], check=True, capture_output=True, text=True).stdout.split()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for d in ("bin", "dev", "proc", "sys", "tmp", "etc"):
            info = tarfile.TarInfo(d)
            info.type, info.mode = tarfile.DIRTYPE, 0o1777 if d == "tmp" else 0o755
            tar.addfile(info)
        with open("/bin/busybox", "rb") as f:
            add(tar, "bin/busybox", f.read(), 0o755)
        for a in applets:
            if a != "busybox":
                info = tarfile.TarInfo("bin/" + a)
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, "busybox", 0o777
                tar.addfile(info)
    return buf.getvalue()


def main():
    reference, out = sys.argv[1], sys.argv[2]
    uncompressed = layer_tar()
    layer = gzip.compress(uncompressed, mtime=0)
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": ["sh"],
                   "WorkingDir": "/"},
        "rootfs": {"type": "layers", "diff_ids": [blob(uncompressed)]}}).encode()
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": blob(config),
                   "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": blob(layer),
                    "size": len(layer)}]}).encode()
    index = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": blob(manifest),
                       "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": reference},
                       "platform": {"architecture": "amd64", "os": "linux"}}]}).encode()
    with tarfile.open(out, "w") as tar:
        add(tar, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        add(tar, "index.json", index)
        for data in (layer, config, manifest):
            add(tar, "blobs/sha256/" + blob(data)[len("sha256:"):], data)


if __name__ == "__main__":
    main()
