"""What the order admin tests share: «Ny bestilling» and what it sends."""

ADD_URL = "/portal/order/add/"


def new_order_data(cast, **overrides) -> dict[str, str]:
    """What «Send bestilling» posts for an order of Testbedriften AS on its valid contract."""
    data = {
        "department": str(cast.tb_main.pk),
        "contract": str(cast.tb_contract.pk),
        "product_group": str(cast.product_group.pk),
        "customer_reference": "",
        "description": "Helsekontroll for lageret",
        "_save": "",
    }
    data.update(overrides)
    return data
