/** RFC 9162 Merkle tree hashing with SM3, and generation and verification of inclusion and consistency proofs. */
package cn.crb.domain.merkle;
