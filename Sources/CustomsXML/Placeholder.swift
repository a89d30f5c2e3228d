import SecureXML
