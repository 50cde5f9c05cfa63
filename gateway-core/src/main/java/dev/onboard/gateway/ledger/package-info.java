/**
 * The evidence ledger: an append-only, hash-linked log (RFC 6962 Merkle tree) with checkpoints
 * signed by the gateway's Ed25519 key.
 */
package dev.onboard.gateway.ledger;
