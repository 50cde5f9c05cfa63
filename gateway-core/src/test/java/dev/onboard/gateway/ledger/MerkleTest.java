package dev.onboard.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RFC 6962 / RFC 9162 Merkle trees against the test vectors used by Certificate Transparency
 * implementations (the eight leaves below), and every proof of every small tree against the
 * verifiers.
 */
class MerkleTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final List<byte[]> LEAVES = new ArrayList<>();

  static {
    for (String h :
        List.of(
            "",
            "00",
            "10",
            "2021",
            "3031",
            "40414243",
            "5051525354555657",
            "606162636465666768696a6b6c6d6e6f")) {
      LEAVES.add(Merkle.leafHash(HEX.parseHex(h)));
    }
  }

  private static List<String> hex(List<byte[]> hashes) {
    return hashes.stream().map(HEX::formatHex).toList();
  }

  @Test
  void rfc6962_roots_of_the_test_vector_trees_of_one_to_eight_leaves() {
    List<String> expected =
        List.of(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
    for (int n = 1; n <= 8; n++) {
      assertThat(HEX.formatHex(Merkle.root(LEAVES, 0, n)))
          .as("root of %d", n)
          .isEqualTo(expected.get(n - 1));
    }
    assertThat(HEX.formatHex(Merkle.root(List.of())))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void rfc6962_leaf_and_node_hashes_are_domain_separated() {
    assertThat(HEX.formatHex(Merkle.leafHash(new byte[0])))
        .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    assertThat(Merkle.nodeHash(LEAVES.get(0), LEAVES.get(1)))
        .isNotEqualTo(Merkle.leafHash(concat(LEAVES.get(0), LEAVES.get(1))));
  }

  @Test
  void rfc6962_inclusion_proofs_match_the_test_vectors() {
    assertThat(hex(Merkle.inclusionProof(LEAVES, 0, 8)))
        .containsExactly(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    assertThat(hex(Merkle.inclusionProof(LEAVES, 5, 8)))
        .containsExactly(
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    assertThat(hex(Merkle.inclusionProof(LEAVES, 2, 3)))
        .containsExactly("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
    assertThat(Merkle.inclusionProof(LEAVES, 0, 1)).isEmpty();
  }

  @Test
  void rfc6962_consistency_proofs_match_the_test_vectors() {
    assertThat(hex(Merkle.consistencyProof(LEAVES, 1, 8)))
        .containsExactly(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    assertThat(hex(Merkle.consistencyProof(LEAVES, 6, 8)))
        .containsExactly(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    assertThat(hex(Merkle.consistencyProof(LEAVES, 2, 5)))
        .containsExactly(
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
    assertThat(Merkle.consistencyProof(LEAVES, 8, 8)).isEmpty();
  }

  @Test
  void rfc9162_every_inclusion_and_consistency_proof_of_trees_up_to_64_leaves_verifies() {
    List<byte[]> leaves = new ArrayList<>();
    Random random = new Random(6962);
    for (int i = 0; i < 64; i++) {
      byte[] entry = new byte[random.nextInt(40)];
      random.nextBytes(entry);
      leaves.add(Merkle.leafHash(entry));
    }
    for (int n = 1; n <= 64; n++) {
      byte[] root = Merkle.root(leaves, 0, n);
      for (int i = 0; i < n; i++) {
        assertThat(
                Merkle.verifyInclusion(
                    i, n, leaves.get(i), Merkle.inclusionProof(leaves, i, n), root))
            .as("leaf %d of %d", i, n)
            .isTrue();
      }
      for (int m = 1; m <= n; m++) {
        assertThat(
                Merkle.verifyConsistency(
                    m, n, Merkle.root(leaves, 0, m), root, Merkle.consistencyProof(leaves, m, n)))
            .as("%d to %d", m, n)
            .isTrue();
      }
    }
  }

  @Test
  void rfc9162_a_proof_fails_for_another_leaf_another_index_another_root_or_a_changed_hash() {
    byte[] root = Merkle.root(LEAVES);
    List<byte[]> proof = Merkle.inclusionProof(LEAVES, 3, 8);
    assertThat(Merkle.verifyInclusion(3, 8, LEAVES.get(3), proof, root)).isTrue();
    assertThat(Merkle.verifyInclusion(3, 8, LEAVES.get(4), proof, root)).isFalse();
    assertThat(Merkle.verifyInclusion(2, 8, LEAVES.get(3), proof, root)).isFalse();
    // The size changes the proof's shape only sometimes (leaf 3 of 7 and of 8 look alike): the
    // signed checkpoint binds the size. A size of another shape fails on its own.
    assertThat(Merkle.verifyInclusion(3, 4, LEAVES.get(3), proof, root)).isFalse();
    assertThat(Merkle.verifyInclusion(3, 8, LEAVES.get(3), proof, Merkle.root(LEAVES, 0, 7)))
        .isFalse();
    List<byte[]> tampered = new ArrayList<>(proof);
    byte[] flipped = tampered.get(1).clone();
    flipped[0] ^= 1;
    tampered.set(1, flipped);
    assertThat(Merkle.verifyInclusion(3, 8, LEAVES.get(3), tampered, root)).isFalse();
    assertThat(
            Merkle.verifyConsistency(
                6, 8, Merkle.root(LEAVES, 0, 5), root, Merkle.consistencyProof(LEAVES, 6, 8)))
        .isFalse();
  }

  @Test
  void rfc6962_node_hash_of_the_first_two_test_vector_leaves_is_the_two_leaf_root() {
    assertThat(HEX.formatHex(Merkle.nodeHash(LEAVES.get(0), LEAVES.get(1))))
        .isEqualTo("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
  }

  @Test
  void proofs_rebuilt_from_shared_subtree_roots_equal_the_rfc6962_audit_paths() {
    List<byte[]> leaves = new ArrayList<>();
    Random random = new Random(9162);
    for (int i = 0; i < 300; i++) {
      byte[] entry = new byte[8];
      random.nextBytes(entry);
      leaves.add(Merkle.leafHash(entry));
    }
    Merkle.Hasher hasher = new Merkle.Hasher(leaves);
    for (int n : new int[] {1, 2, 3, 7, 64, 65, 127, 128, 129, 300}) {
      assertThat(hasher.root(0, n)).isEqualTo(Merkle.root(leaves, 0, n));
      for (int i = 0; i < n; i += 1 + n / 17) {
        List<String> rebuilt =
            Merkle.inclusionRanges(i, n).stream()
                .map(r -> HEX.formatHex(hasher.root(r[0], r[1])))
                .toList();
        assertThat(rebuilt)
            .as("leaf %d of %d", i, n)
            .isEqualTo(hex(Merkle.inclusionProof(leaves, i, n)));
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
