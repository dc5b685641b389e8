// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {CounterfactualDeployer} from "../../src/CounterfactualDeployer.sol";
import {IPaymentEscrow} from "../../src/interfaces/IPaymentEscrow.sol";
import {MockSmartWallet, MockSmartWalletFactory} from "../../src/mocks/MockSmartWallet.sol";
import {RegulatedTokenFixture} from "../base/RegulatedTokenFixture.sol";

/// @dev The `bytes` pay functions alone: {IPaymentEscrow} overloads them, which makes `abi.encodeCall` ambiguous.
interface IPayWithBytes {
    function payWithPermit(
        IPaymentEscrow.PaymentTerms calldata terms,
        bytes calldata operatorSignature,
        uint256 permitDeadline,
        bytes calldata permitSignature
    ) external returns (bytes32);
}

/// @notice Smart-contract wallets pay through the `bytes` overloads: a deployed ERC-1271 wallet by authorization
///         (relayed) and by permit (its own call), a counterfactual wallet by an ERC-6492-wrapped authorization that
///         deploys it on the way, and a plain account's 65-byte signature on a token without `bytes` variants. A wrong
///         signer, a signature for other terms, a replay, a wallet whose `isValidSignature` reverts or answers a wrong
///         value, a factory that does not deploy the payer, and a wrapped call aimed at the escrow's tokens are all
///         refused, leaving nothing paid or moved.
contract SmartWalletsTest is RegulatedTokenFixture {
    uint256 internal constant WALLET_OWNER_KEY = 0xA11CE;
    string internal constant INVALID_SIGNATURE = "FiatTokenV2: invalid signature";

    address internal walletOwner;
    MockSmartWalletFactory internal factory;
    MockSmartWallet internal wallet;

    function setUp() public override {
        super.setUp();
        walletOwner = vm.addr(WALLET_OWNER_KEY);
        factory = new MockSmartWalletFactory();
        wallet = MockSmartWallet(factory.deploy(walletOwner, bytes32("deployed")));
        vm.label(address(wallet), "smart wallet");
        _mint(address(rusdc), address(wallet), INITIAL_BALANCE);
    }

    function _rTerms(string memory ref) internal view returns (IPaymentEscrow.PaymentTerms memory) {
        return _terms(_orderId(ref), address(rusdc), AMOUNT, FEE);
    }

    function _deployCall(bytes32 salt) internal view returns (bytes memory) {
        return abi.encodeCall(MockSmartWalletFactory.deploy, (walletOwner, salt));
    }

    /// @dev Relays `terms` for `from` with `signature` through the `bytes` authorization overload.
    function _relay(
        IPaymentEscrow.PaymentTerms memory terms,
        address from,
        bytes memory signature
    ) internal returns (IPaymentEscrow.Payment memory) {
        bytes memory operatorSignature = _signTerms(terms);
        vm.prank(relayer);
        escrow.payWithAuthorization(terms, operatorSignature, from, 0, terms.deadline, signature);
        return _record(terms, from, from, _now() + terms.escrowPeriod);
    }

    function _expectRelayReverts(
        IPaymentEscrow.PaymentTerms memory terms,
        address from,
        bytes memory signature,
        bytes memory err
    ) internal {
        bytes memory operatorSignature = _signTerms(terms);
        uint256 escrowBalance = rusdc.balanceOf(address(escrow));
        vm.prank(relayer);
        vm.expectRevert(err);
        escrow.payWithAuthorization(terms, operatorSignature, from, 0, terms.deadline, signature);
        assertEq(escrow.paymentState(_paymentIdOf(terms)).recordHash, bytes32(0));
        assertEq(rusdc.balanceOf(address(escrow)), escrowBalance);
    }

    function _paymentIdOf(IPaymentEscrow.PaymentTerms memory terms) internal view returns (bytes32) {
        return escrow.paymentIdOf(terms.operator, terms.orderId);
    }

    function _assertPaid(IPaymentEscrow.Payment memory payment) internal view {
        assertEq(escrow.paymentState(_paymentId(payment)).recordHash, _recordHash(payment));
    }

    // ------------------------------------------------------------------------------------------------
    // Paying
    // ------------------------------------------------------------------------------------------------

    function test_succeeds_erc1271WalletPaysByRelayedAuthorization() public {
        IPaymentEscrow.PaymentTerms memory terms = _rTerms("1271-auth");
        uint256 escrowBefore = rusdc.balanceOf(address(escrow));
        IPaymentEscrow.Payment memory payment = _relay(
            terms,
            address(wallet),
            _escrowAuthorizationBytes(terms, address(wallet), WALLET_OWNER_KEY)
        );
        _assertPaid(payment);
        assertEq(rusdc.balanceOf(address(escrow)) - escrowBefore, AMOUNT);
        assertEq(rusdc.balanceOf(address(wallet)), INITIAL_BALANCE - AMOUNT);
        assertTrue(rusdc.authorizationState(address(wallet), _digest(terms, address(escrow), block.chainid)));
    }

    function test_succeeds_erc1271WalletPaysByPermitInItsOwnCall() public {
        IPaymentEscrow.PaymentTerms memory terms = _rTerms("1271-permit");
        bytes memory operatorSignature = _signTerms(terms);
        bytes memory permit = _sign(
            WALLET_OWNER_KEY,
            _tokenPermitDigest(address(rusdc), address(wallet), address(escrow), AMOUNT, terms.deadline)
        );
        vm.prank(walletOwner);
        wallet.execute(
            address(escrow),
            abi.encodeCall(IPayWithBytes.payWithPermit, (terms, operatorSignature, terms.deadline, permit))
        );
        _assertPaid(_record(terms, address(wallet), address(wallet), _now() + terms.escrowPeriod));
        assertEq(rusdc.balanceOf(address(wallet)), INITIAL_BALANCE - AMOUNT);
        assertEq(rusdc.allowance(address(wallet), address(escrow)), 0);
    }

    function test_succeeds_counterfactualWalletIsDeployedAndPaysByWrappedAuthorization() public {
        bytes32 salt = "counterfactual";
        address predicted = factory.addressOf(walletOwner, salt);
        assertEq(predicted.code.length, 0);
        _mint(address(rusdc), predicted, AMOUNT);
        IPaymentEscrow.PaymentTerms memory terms = _rTerms("6492-auth");
        bytes memory signature = _wrap6492(
            address(factory),
            _deployCall(salt),
            _escrowAuthorizationBytes(terms, predicted, WALLET_OWNER_KEY)
        );
        IPaymentEscrow.Payment memory payment = _relay(terms, predicted, signature);
        assertGt(predicted.code.length, 0);
        assertEq(MockSmartWallet(predicted).owner(), walletOwner);
        _assertPaid(payment);
        assertEq(rusdc.balanceOf(predicted), 0);
    }

    function test_succeeds_wrappedSignatureOfAnAlreadyDeployedWalletSkipsTheFactory() public {
        // The factory would revert (the wallet exists): it must not be called.
        IPaymentEscrow.PaymentTerms memory terms = _rTerms("6492-deployed");
        bytes memory signature = _wrap6492(
            address(factory),
            _deployCall(bytes32("deployed")),
            _escrowAuthorizationBytes(terms, address(wallet), WALLET_OWNER_KEY)
        );
        _assertPaid(_relay(terms, address(wallet), signature));
    }

    function test_succeeds_deployerLeavesAnAccountWithCodeAlone() public {
        // Its factory call would revert (the wallet exists): the deployer must not make it.
        CounterfactualDeployer deployer = CounterfactualDeployer(escrow.counterfactualDeployer());
        vm.prank(stranger);
        deployer.deploy(address(wallet), address(factory), _deployCall(bytes32("deployed")));
        assertGt(address(wallet).code.length, 0);
    }

    function test_succeeds_plainAccountBytesSignatureOnTokenWithoutBytesVariants() public {
        // tUSDC has only the (v, r, s) variants: a 65-byte signature of an account without code goes there.
        IPaymentEscrow.PaymentTerms memory terms = _terms(_orderId("plain-bytes-auth"));
        (uint8 v, bytes32 r, bytes32 s) = _authorizationSignature(
            PAYER_KEY,
            address(escrow),
            AMOUNT,
            0,
            terms.deadline,
            _digest(terms, address(escrow), block.chainid)
        );
        uint256 before = usdc.balanceOf(payer);
        _assertPaid(_relay(terms, payer, abi.encodePacked(r, s, v)));
        assertEq(before - usdc.balanceOf(payer), AMOUNT);

        IPaymentEscrow.PaymentTerms memory permitTerms = _terms(_orderId("plain-bytes-permit"));
        bytes memory operatorSignature = _signTerms(permitTerms);
        (v, r, s) = _permitSignature(address(usdc), PAYER2_KEY, address(escrow), AMOUNT, permitTerms.deadline);
        vm.prank(payer2);
        escrow.payWithPermit(permitTerms, operatorSignature, permitTerms.deadline, abi.encodePacked(r, s, v));
        _assertPaid(_record(permitTerms, payer2, payer2, _now() + permitTerms.escrowPeriod));
    }

    function testFuzz_succeeds_anyOwnersWalletPaysExactlyItsAmount(uint256 ownerKey, uint96 amount) public {
        ownerKey = bound(ownerKey, 1, 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140);
        amount = uint96(bound(amount, 1, INITIAL_BALANCE));
        address owner_ = vm.addr(ownerKey);
        bytes32 salt = keccak256(abi.encode(ownerKey, amount));
        address predicted = factory.addressOf(owner_, salt);
        _mint(address(rusdc), predicted, amount);
        IPaymentEscrow.PaymentTerms memory terms = _terms(salt, address(rusdc), amount, 0);
        bytes memory signature = _wrap6492(
            address(factory),
            abi.encodeCall(MockSmartWalletFactory.deploy, (owner_, salt)),
            _escrowAuthorizationBytes(terms, predicted, ownerKey)
        );
        uint256 escrowBefore = rusdc.balanceOf(address(escrow));
        _assertPaid(_relay(terms, predicted, signature));
        assertEq(rusdc.balanceOf(address(escrow)) - escrowBefore, amount);
        assertEq(rusdc.balanceOf(predicted), 0);
    }

    // ------------------------------------------------------------------------------------------------
    // Refusals
    // ------------------------------------------------------------------------------------------------

    function test_reverts_whenSomeoneElseSignsForTheWallet() public {
        IPaymentEscrow.PaymentTerms memory terms = _rTerms("1271-wrong-signer");
        _expectRelayReverts(
            terms,
            address(wallet),
            _escrowAuthorizationBytes(terms, address(wallet), OTHER_KEY),
            _reason(INVALID_SIGNATURE)
        );
    }

    function test_reverts_whenTheSignatureIsForOtherTerms() public {
        IPaymentEscrow.PaymentTerms memory signed = _rTerms("1271-signed");
        IPaymentEscrow.PaymentTerms memory other = _rTerms("1271-other");
        _expectRelayReverts(
            other,
            address(wallet),
            _escrowAuthorizationBytes(signed, address(wallet), WALLET_OWNER_KEY),
            _reason(INVALID_SIGNATURE)
        );
        IPaymentEscrow.PaymentTerms memory cheaper = _terms(_orderId("1271-signed"), address(rusdc), AMOUNT - 1, FEE);
        _expectRelayReverts(
            cheaper,
            address(wallet),
            _escrowAuthorizationBytes(signed, address(wallet), WALLET_OWNER_KEY),
            _reason(INVALID_SIGNATURE)
        );
    }

    function test_reverts_whenReplayed() public {
        IPaymentEscrow.PaymentTerms memory terms = _rTerms("1271-replay");
        bytes memory signature = _escrowAuthorizationBytes(terms, address(wallet), WALLET_OWNER_KEY);
        _relay(terms, address(wallet), signature);
        bytes memory operatorSignature = _signTerms(terms);
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(IPaymentEscrow.AlreadyPaid.selector, _paymentIdOf(terms)));
        escrow.payWithAuthorization(terms, operatorSignature, address(wallet), 0, terms.deadline, signature);
        assertEq(rusdc.balanceOf(address(wallet)), INITIAL_BALANCE - AMOUNT);
    }

    function test_reverts_whenIsValidSignatureReverts() public {
        vm.prank(walletOwner);
        wallet.setBehaviour(MockSmartWallet.Behaviour.Reverts);
        IPaymentEscrow.PaymentTerms memory terms = _rTerms("1271-reverts");
        _expectRelayReverts(
            terms,
            address(wallet),
            _escrowAuthorizationBytes(terms, address(wallet), WALLET_OWNER_KEY),
            _reason(INVALID_SIGNATURE)
        );
    }

    function test_reverts_whenIsValidSignatureAnswersAWrongValue() public {
        vm.prank(walletOwner);
        wallet.setBehaviour(MockSmartWallet.Behaviour.WrongMagic);
        IPaymentEscrow.PaymentTerms memory terms = _rTerms("1271-wrong-magic");
        _expectRelayReverts(
            terms,
            address(wallet),
            _escrowAuthorizationBytes(terms, address(wallet), WALLET_OWNER_KEY),
            _reason(INVALID_SIGNATURE)
        );
    }

    function test_reverts_whenThePayerIsTheZeroAddress() public {
        IPaymentEscrow.PaymentTerms memory terms = _rTerms("bytes-zero-payer");
        _expectRelayReverts(
            terms,
            address(0),
            _escrowAuthorizationBytes(terms, address(0), WALLET_OWNER_KEY),
            abi.encodeWithSelector(IPaymentEscrow.ZeroAddress.selector)
        );
    }

    function test_reverts_whenTheFactoryDeploysAnotherWallet() public {
        address predicted = factory.addressOf(walletOwner, bytes32("wanted"));
        _mint(address(rusdc), predicted, AMOUNT);
        IPaymentEscrow.PaymentTerms memory terms = _rTerms("6492-other-wallet");
        bytes memory signature = _wrap6492(
            address(factory),
            _deployCall(bytes32("another")),
            _escrowAuthorizationBytes(terms, predicted, WALLET_OWNER_KEY)
        );
        _expectRelayReverts(
            terms,
            predicted,
            signature,
            abi.encodeWithSelector(CounterfactualDeployer.CounterfactualDeployFailed.selector, predicted)
        );
        assertEq(predicted.code.length, 0);
    }

    function test_reverts_whenTheWrappedCallAimsAtTheEscrowsTokens() public {
        // The escrow holds a payment. An attacker pays its own order with a valid signature, wrapped with a "factory
        // call" that transfers the escrow's tokens to it: run as the escrow, the theft and the payment would both
        // succeed; run as the deployer, which holds nothing, the transfer reverts and so does the payment.
        _payWithTokenAuthorization(_rTerms("held"), PAYER_KEY, relayer);
        uint256 held = rusdc.balanceOf(address(escrow));
        assertGt(held, 0);
        address attacker = vm.addr(OTHER_KEY);
        _mint(address(rusdc), attacker, AMOUNT);
        IPaymentEscrow.PaymentTerms memory terms = _rTerms("6492-theft");
        bytes memory theft = abi.encodeCall(rusdc.transfer, (attacker, held));
        bytes memory signature = _wrap6492(
            address(rusdc),
            theft,
            _escrowAuthorizationBytes(terms, attacker, OTHER_KEY)
        );
        bytes memory operatorSignature = _signTerms(terms);
        vm.prank(relayer);
        vm.expectRevert(_reason("ERC20: transfer amount exceeds balance"));
        escrow.payWithAuthorization(terms, operatorSignature, attacker, 0, terms.deadline, signature);
        assertEq(rusdc.balanceOf(address(escrow)), held);
        assertEq(rusdc.balanceOf(attacker), AMOUNT);
        assertEq(rusdc.balanceOf(escrow.counterfactualDeployer()), 0);
    }
}
