/** RFC 9162 Merkle tree hashing and proofs with SM3; pure functions, no state, no dependency beyond domain's Sm3. */
package cn.crb.sim.merkle;
