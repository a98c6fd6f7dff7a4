-- Xentracker server schema, version 12 (issue 14): a stored batch is known by its signed content.
--
-- A repeated (device, sequence) used to be answered as "already stored" whatever it carried. The repeat is now the
-- same batch only when the SHA-256 of its signed attributes (which hold the digest of the signed content and the
-- binding with its batch id; transport's OpenedBatch.signedDigest) equals the stored one: a batch re-sealed to a
-- new organization key is still a repeat, while other content under a used sequence number is refused instead of
-- being silently dropped. Rows stored before this version have no digest; their signed batch id decides.
-- Adding a nullable column without a default rewrites nothing, so this is instant on a large table.
ALTER TABLE batch_arrivals ADD COLUMN signed_sha256 bytea
    CHECK (signed_sha256 IS NULL OR octet_length(signed_sha256) = 32);
