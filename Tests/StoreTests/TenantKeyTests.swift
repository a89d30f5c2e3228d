import Foundation
import Store
import Testing

/// A tenant's API keys rotate without a refused request: while both are configured the new key and
/// the old one open the same tenant; once the old one is left out it opens nothing.
@Suite struct TenantKeyTests {
    @Test(arguments: Engine.available)
    func apiKeysRotateWithoutARefusedRequest(engine: Engine) async throws {
        try await withStore(engine) { store in
            let directory = try #require(store as? any TenantDirectory)
            let old = String(repeating: "a", count: 64), new = String(repeating: "b", count: 64), other = String(repeating: "c", count: 64)
            try await directory.saveTenant(id: "shop-1", name: "Shop One", keySHA256s: [old], now: 1)
            try await directory.saveTenant(id: "shop-2", name: "Shop Two", keySHA256s: [other], now: 1)
            #expect(try await directory.tenant(keySHA256: old) == "shop-1")
            // The rotation: both keys, newest first.
            try await directory.saveTenant(id: "shop-1", name: "Shop One", keySHA256s: [new, old], now: 2)
            #expect(try await directory.tenant(keySHA256: new) == "shop-1")
            #expect(try await directory.tenant(keySHA256: old) == "shop-1")
            // The old key retired.
            try await directory.saveTenant(id: "shop-1", name: "Shop One", keySHA256s: [new], now: 3)
            #expect(try await directory.tenant(keySHA256: old) == nil)
            #expect(try await directory.tenant(keySHA256: new) == "shop-1")
            #expect(try await directory.tenant(keySHA256: other) == "shop-2")
            // A key cannot open two tenants, and a tenant without a key is refused; neither changes anything.
            await #expect(throws: (any Error).self) { try await directory.saveTenant(id: "shop-2", name: "Shop Two", keySHA256s: [new], now: 4) }
            await #expect(throws: (any Error).self) { try await directory.saveTenant(id: "shop-2", name: "Shop Two", keySHA256s: [], now: 4) }
            #expect(try await directory.tenant(keySHA256: new) == "shop-1")
            #expect(try await directory.tenant(keySHA256: other) == "shop-2")
        }
    }

    /// The server keeps only its configured tenants' keys: a tenant taken out of the configuration
    /// (or an earlier demo run's) opens nothing, while its merchants and orders stay.
    @Test(arguments: Engine.available)
    func keysOfTenantsNoLongerConfiguredAreRetired(engine: Engine) async throws {
        try await withStore(engine) { store in
            let directory = try #require(store as? any TenantDirectory)
            let one = String(repeating: "d", count: 64), two = String(repeating: "e", count: 64), rotated = String(repeating: "f", count: 64)
            try await directory.saveTenant(id: "kept", name: "Kept", keySHA256s: [one, rotated], now: 1)
            try await directory.saveTenant(id: "gone", name: "Gone", keySHA256s: [two], now: 1)
            _ = try await directory.claimMerchant("m-gone", tenantID: "gone", now: 1)
            #expect(try await directory.retireTenantKeys(keeping: ["kept"]) == 1)
            #expect(try await directory.tenant(keySHA256: two) == nil)
            #expect(try await directory.tenant(keySHA256: one) == "kept")
            #expect(try await directory.tenant(keySHA256: rotated) == "kept")
            // The merchant still belongs to the tenant, for the audit trail.
            #expect(try await directory.claimMerchant("m-gone", tenantID: "kept", now: 2) == "gone")
            // Again: nothing left to retire. With no tenant configured, every key goes.
            #expect(try await directory.retireTenantKeys(keeping: ["kept"]) == 0)
            #expect(try await directory.retireTenantKeys(keeping: []) == 2)
            #expect(try await directory.tenant(keySHA256: one) == nil)
        }
    }
}
