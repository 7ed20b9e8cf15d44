"""Operations written the way a Saleor storefront writes them (fragments, variables)."""

MONEY = "fragment Money on Money { amount currency }"

PRODUCT_CARD = """
fragment ProductListItem on Product {
  id
  name
  slug
  created
  pricing {
    onSale
    priceRange { start { gross { amount currency } } stop { gross { amount currency } } }
    priceRangeUndiscounted { start { gross { amount currency } } }
  }
  category { id name slug }
  thumbnail(size: 256, format: WEBP) { url alt }
  cooperative { name slug province }
  variants { id name sku quantityAvailable pricing { price { gross { amount currency } } } }
  isAvailable
  isAvailableForPurchase
}
"""

PRODUCTS = PRODUCT_CARD + """
query ProductList($first: Int, $after: String, $channel: String!, $search: String, $filter: ProductFilterInput,
                  $where: ProductWhereInput, $sortBy: ProductOrder) {
  products(first: $first, after: $after, channel: $channel, search: $search, filter: $filter, where: $where,
           sortBy: $sortBy) {
    totalCount
    edges { cursor node { ...ProductListItem } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

PRODUCT_DETAILS = """
fragment VariantDetails on ProductVariant {
  id name sku quantityAvailable quantityLimitPerCustomer trackInventory
  pricing { onSale price { gross { amount currency } net { amount } tax { amount } } priceUndiscounted { gross { amount } } }
  attributes { attribute { slug name } values { name slug } }
  comboComponents { quantity variant { id sku product { name } } }
  weight { unit value }
}
query ProductDetails($slug: String!, $channel: String!, $lang: LanguageCodeEnum!) {
  product(slug: $slug, channel: $channel) {
    id name slug description seoTitle seoDescription rating isAvailable isAvailableForPurchase availableForPurchaseAt
    created updatedAt
    thumbnail(size: 1024, format: WEBP) { url alt }
    media { id url(size: 512) alt type sortOrder }
    category { id name slug parent { id } }
    collections { id name slug }
    productType { id name hasVariants kind }
    attributes { attribute { id name slug inputType } values { id name slug } }
    assignedAttributes { attribute { slug } ... on AssignedSingleChoiceAttribute { value { name slug } } }
    metadata { key value }
    pricing { priceRange { start { gross { amount currency } } stop { gross { amount currency } } } displayGrossPrices }
    variants { ...VariantDetails }
    defaultVariant { id }
    translation(languageCode: $lang) { name description }
    cooperative { name slug address certifications { type stars } }
    weight { unit value }
    channelListings { channel { slug } }
  }
}
"""

CHECKOUT_FRAGMENT = """
fragment CheckoutDetails on Checkout {
  id token email quantity isShippingRequired languageCode
  channel { slug currencyCode }
  lines {
    id quantity
    unitPrice { gross { amount currency } }
    totalPrice { gross { amount currency } }
    undiscountedUnitPrice { amount currency }
    variant { id name product { name slug thumbnail(size: 128, format: WEBP) { url } } }
    problems { __typename }
  }
  shippingAddress { firstName lastName streetAddress1 city countryArea postalCode phone country { code country } }
  billingAddress { city countryArea }
  shippingMethods { id name price { amount currency } minimumDeliveryDays maximumDeliveryDays }
  availablePaymentGateways { id name currencies config { field value } }
  deliveryMethod { __typename ... on ShippingMethod { id name } }
  subtotalPrice { gross { amount currency } tax { amount } }
  shippingPrice { gross { amount currency } }
  totalPrice { gross { amount currency } }
  discount { amount }
  voucherCode
  giftCards { id }
  problems {
    __typename
    ... on CheckoutLineProblemInsufficientStock { availableQuantity line { id } variant { id } }
    ... on CheckoutLineProblemVariantNotAvailable { line { id } }
  }
}
"""

ERRORS = "errors { field message code }"

CHECKOUT_CREATE = CHECKOUT_FRAGMENT + """
mutation CheckoutCreate($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) { checkout { ...CheckoutDetails } errors { field message code variants } }
}
"""

CHECKOUT_QUERY = CHECKOUT_FRAGMENT + """
query Checkout($id: ID!) { checkout(id: $id) { ...CheckoutDetails } }
"""

LINES_ADD = CHECKOUT_FRAGMENT + """
mutation LinesAdd($id: ID!, $lines: [CheckoutLineInput!]!) {
  checkoutLinesAdd(id: $id, lines: $lines) { checkout { ...CheckoutDetails } errors { field message code variants } }
}
"""

LINES_UPDATE = CHECKOUT_FRAGMENT + """
mutation LinesUpdate($id: ID!, $lines: [CheckoutLineUpdateInput!]!) {
  checkoutLinesUpdate(id: $id, lines: $lines) { checkout { ...CheckoutDetails } %s }
}
""" % ERRORS

LINES_DELETE = """
mutation LinesDelete($id: ID!, $linesIds: [ID!]!) {
  checkoutLinesDelete(id: $id, linesIds: $linesIds) { checkout { id quantity lines { id } } %s }
}
""" % ERRORS

EMAIL_UPDATE = """
mutation EmailUpdate($id: ID!, $email: String!) {
  checkoutEmailUpdate(id: $id, email: $email) { checkout { id email } %s }
}
""" % ERRORS

SHIPPING_ADDRESS_UPDATE = """
mutation ShippingAddress($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    checkout { id shippingAddress { city countryArea phone streetAddress1 } shippingMethods { id name price { amount } } }
    errors { field message code addressType }
  }
}
"""

BILLING_ADDRESS_UPDATE = """
mutation BillingAddress($id: ID!, $address: AddressInput!) {
  checkoutBillingAddressUpdate(id: $id, billingAddress: $address) {
    checkout { id billingAddress { city countryArea } } errors { field message code addressType }
  }
}
"""

DELIVERY_METHOD_UPDATE = """
mutation Delivery($id: ID!, $deliveryMethodId: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $deliveryMethodId) {
    checkout { id deliveryMethod { ... on ShippingMethod { id name } } shippingPrice { gross { amount } }
               totalPrice { gross { amount currency } } }
    %s
  }
}
""" % ERRORS

NOTE_UPDATE = """
mutation Note($id: ID!, $note: String!) {
  checkoutCustomerNoteUpdate(id: $id, customerNote: $note) { checkout { id customerNote } %s }
}
""" % ERRORS

PAYMENT_CREATE = """
mutation Pay($id: ID!, $gateway: String!) {
  checkoutPaymentCreate(id: $id, input: {gateway: $gateway}) { checkout { id } payment { id } %s }
}
""" % ERRORS

TRANSACTION_INITIALIZE = """
mutation Init($id: ID!, $gateway: String!) {
  transactionInitialize(id: $id, paymentGateway: {id: $gateway}) { data transaction { id } %s }
}
""" % ERRORS

CONSENT = """
mutation Consent($id: ID!) {
  checkoutPrivacyConsentUpdate(id: $id, granted: true) { checkout { id } errors { field code } }
}
"""

ORDER_FRAGMENT = """
fragment OrderDetails on Order {
  id number token status statusDisplay created userEmail isPaid paymentStatus paymentStatusDisplay
  chargeStatus authorizeStatus origin languageCodeEnum customerNote shippingMethodName
  lines { id productName variantName productSku quantity quantityFulfilled
          unitPrice { gross { amount currency } } totalPrice { gross { amount currency } }
          variant { id } thumbnail(size: 128) { url } }
  fulfillments { id status trackingNumber fulfillmentOrder lines { quantity orderLine { id } } }
  subtotal { gross { amount currency } }
  shippingPrice { gross { amount currency } }
  total { gross { amount currency } net { amount } tax { amount } }
  totalBalance { amount }
  shippingAddress { city countryArea }
  deliveryMethod { ... on ShippingMethod { name } }
  events { type date }
  payments { gateway chargeStatus total { amount } }
  discounts { id }
  giftCards { id }
  vietqrTransfer { bankBin accountNumber transferNote payload imageUrl amount { amount currency } }
}
"""

CHECKOUT_COMPLETE = ORDER_FRAGMENT + """
mutation Complete($id: ID!) {
  checkoutComplete(id: $id) { order { ...OrderDetails } confirmationNeeded confirmationData %s }
}
""" % ERRORS

ORDER_BY_ID = ORDER_FRAGMENT + "query Order($id: ID!) { order(id: $id) { ...OrderDetails } }"
ORDER_BY_TOKEN = ORDER_FRAGMENT + "query OrderByToken($token: UUID!) { orderByToken(token: $token) { ...OrderDetails } }"

TOKEN_CREATE = """
mutation Login($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token refreshToken csrfToken user { id email } %s }
}
""" % ERRORS

TOKEN_REFRESH = """
mutation Refresh($refreshToken: String!) { tokenRefresh(refreshToken: $refreshToken) { token user { email } %s } }
""" % ERRORS

TOKEN_VERIFY = """
mutation Verify($token: String!) { tokenVerify(token: $token) { isValid payload user { email } %s } }
""" % ERRORS

ACCOUNT_REGISTER = """
mutation Register($input: AccountRegisterInput!) {
  accountRegister(input: $input) { requiresConfirmation user { email } %s }
}
""" % ERRORS

ME = """
query Me {
  me {
    id email firstName lastName isStaff languageCode dateJoined
    addresses { id city countryArea isDefaultShippingAddress }
    defaultShippingAddress { id }
    orders(first: 10) { totalCount edges { node { id number total { gross { amount currency } } status } } }
    checkoutTokens
  }
}
"""
