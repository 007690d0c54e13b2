/**
 * Model sources in S3-compatible object storage ({@code s3://bucket/prefix}: AWS S3, MinIO, Ceph, GCS's S3 API): the
 * one S3 client, listing, digests and verified streaming downloads through the AWS SDK for Java v2.
 */
package dev.onnxserving.repository.s3;
