"""The three pilot communes of 2021, as demo data. Names of people and firms are invented."""

CATEGORIES = [
    ("Trái cây", "trai-cay"),
    ("Rau củ", "rau-cu"),
    ("Thực phẩm chế biến", "thuc-pham-che-bien"),
    ("Thủy sản", "thuy-san"),
    ("Đồ uống", "do-uong"),
    ("Hoa kiểng", "hoa-kieng"),
]

CERTIFICATIONS = [
    # name, short name, kind, issuing body
    ("Thực hành sản xuất nông nghiệp tốt Việt Nam", "VietGAP", "gap", "Tổ chức chứng nhận được Bộ NN&PTNT chỉ định"),
    ("Thực hành nông nghiệp tốt toàn cầu", "GlobalGAP", "gap", "GLOBALG.A.P."),
    ("Nông nghiệp hữu cơ (TCVN 11041)", "Hữu cơ", "organic", "Tổ chức chứng nhận hữu cơ"),
    ("Chỉ dẫn địa lý", "CDĐL", "gi", "Cục Sở hữu trí tuệ"),
    ("Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "ATTP", "food_safety", "Sở Y tế"),
]

# slug: (ward code, hostname prefix, former units, former district, intro, committee address, phone)
COMMUNES = [
    {
        "ward_code": 27712,
        "host": "tanan",
        "former_units": "các phường nội ô cũ",
        "former_district": "thành phố Tân An",
        "former_province": "Long An",
        "introduction": "<p>Trung tâm hành chính cũ của tỉnh Long An, nổi tiếng với lạp xưởng, "
        "bánh tráng và hoa kiểng ven sông Vàm Cỏ Tây.</p>",
        "committee_address": "Phường Tân An, tỉnh Tây Ninh",
        "committee_phone": "02723826100",
        "producers": [
            {
                "title": "Cơ sở lạp xưởng Bà Tư",
                "kind": "household",
                "representative": "Nguyễn Thị Tư",
                "phone": "0912345601",
                "address": "12 đường Trương Định, khu phố 3",
                "summary": "Lạp xưởng làm tay theo công thức gia đình ba đời.",
                "products": [
                    ("Lạp xưởng tươi Tân An", "thuc-pham-che-bien", 180000, "hop", [1, 2, 11, 12], 4, "Hộp 500 g, thịt heo nạc đùi và mỡ lưng, ướp rượu mai quế lộ."),
                    ("Lạp xưởng tôm", "thuc-pham-che-bien", 220000, "hop", [], None, "Hộp 500 g, tôm đất Vàm Cỏ và thịt heo."),
                ],
            },
            {
                "title": "HTX Nông nghiệp Bình Tâm",
                "kind": "cooperative",
                "representative": "Trần Văn Bình",
                "phone": "0912345602",
                "address": "Ấp Bình Trung, khu phố 5",
                "summary": "42 xã viên trồng rau ăn lá và chanh theo VietGAP.",
                "certs": ["VietGAP"],
                "products": [
                    ("Rau muống VietGAP", "rau-cu", 25000, "kg", [], None, "Rau muống nước, hái buổi sáng, giao trong ngày."),
                    ("Chanh không hạt", "trai-cay", 30000, "kg", [4, 5, 6, 7, 8, 9], None, "Chanh vỏ mỏng, nhiều nước, không hạt."),
                ],
            },
            {
                "title": "Công ty TNHH Thực phẩm Hương Quê",
                "kind": "enterprise",
                "representative": "Lê Minh Hương",
                "phone": "0912345603",
                "address": "45 Quốc lộ 1, khu phố 2",
                "summary": "Bánh tráng phơi sương và mắm cá đóng hũ.",
                "certs": ["ATTP"],
                "products": [
                    ("Bánh tráng phơi sương", "thuc-pham-che-bien", 45000, "goi", [], 3, "Gói 500 g, bánh dẻo, phơi qua đêm."),
                    ("Mắm cá lóc", "thuc-pham-che-bien", 120000, "hu", [], 3, "Hũ 500 g, cá lóc đồng ủ thính gạo rang."),
                ],
            },
            {
                "title": "Tổ hợp tác Hoa kiểng Tân An",
                "kind": "cooperative_group",
                "representative": "Phạm Văn Kiểng",
                "phone": "0912345604",
                "address": "Ấp Nhơn Hòa, khu phố 6",
                "summary": "Mai vàng, cúc mâm xôi cho dịp Tết.",
                "products": [
                    ("Mai vàng bonsai", "hoa-kieng", None, "cai", [12, 1], None, "Cây mai dáng bonsai, tuổi 5–10 năm. Giá theo cây."),
                    ("Cúc mâm xôi", "hoa-kieng", 150000, "cai", [12, 1], None, "Chậu đường kính 40 cm, nở đúng Tết."),
                ],
            },
            {
                "title": "Hộ ông Nguyễn Văn Sáu",
                "kind": "household",
                "representative": "Nguyễn Văn Sáu",
                "phone": "0912345605",
                "zalo_phone": "0987654305",
                "address": "Ấp Bình Yên Đông, khu phố 4",
                "summary": "Nuôi ong lấy mật và trồng dưa lưới nhà màng.",
                "products": [
                    ("Mật ong hoa tràm", "do-uong", 250000, "chai", [3, 4, 5], 3, "Chai 500 ml, mật ong nguyên chất."),
                    ("Dưa lưới nhà màng", "trai-cay", 60000, "kg", [2, 3, 4, 9, 10], None, "Dưa lưới ruột cam, trồng trong nhà màng."),
                ],
            },
        ],
    },
    {
        "ward_code": 28159,
        "host": "cangiuoc",
        "former_units": "thị trấn Cần Giuộc và các xã lân cận",
        "former_district": "huyện Cần Giuộc",
        "former_province": "Long An",
        "introduction": "<p>Vựa rau xanh của vùng giáp ranh Thành phố Hồ Chí Minh và quê hương "
        "lạp xưởng Cần Giuộc.</p>",
        "committee_address": "Xã Cần Giuộc, tỉnh Tây Ninh",
        "committee_phone": "02723874101",
        "producers": [
            {
                "title": "HTX Rau an toàn Cần Giuộc",
                "kind": "cooperative",
                "representative": "Võ Thị Lan",
                "phone": "0912345611",
                "address": "Ấp Trường Long",
                "summary": "Rau ăn lá an toàn cung cấp cho bếp ăn và siêu thị.",
                "certs": ["VietGAP"],
                "products": [
                    ("Cải ngọt VietGAP", "rau-cu", 20000, "kg", [], None, "Cải ngọt non, thu hoạch sau 28 ngày."),
                    ("Xà lách thủy canh", "rau-cu", 40000, "kg", [], None, "Xà lách trồng thủy canh trong nhà lưới."),
                ],
            },
            {
                "title": "Tổ hợp tác rau má Phước Lại",
                "kind": "cooperative_group",
                "representative": "Đặng Văn Má",
                "phone": "0912345612",
                "address": "Ấp Phước Thuận",
                "summary": "Rau má lá to và nước rau má đóng chai.",
                "products": [
                    ("Rau má lá to", "rau-cu", 25000, "kg", [], None, "Rau má tươi, cắt gốc, rửa sạch."),
                    ("Nước rau má đậu xanh", "do-uong", 15000, "chai", [], 3, "Chai 330 ml, không chất bảo quản, dùng trong 3 ngày."),
                ],
            },
            {
                "title": "Công ty TNHH Lạp xưởng Cần Giuộc",
                "kind": "enterprise",
                "representative": "Huỳnh Văn Phát",
                "phone": "0912345613",
                "address": "Khu phố Thanh Ba",
                "summary": "Lạp xưởng Cần Giuộc đóng gói hút chân không.",
                "certs": ["ATTP"],
                "products": [
                    ("Lạp xưởng Cần Giuộc", "thuc-pham-che-bien", 160000, "hop", [], 4, "Hộp 500 g, hút chân không."),
                    ("Lạp xưởng mai quế lộ", "thuc-pham-che-bien", 220000, "kg", [10, 11, 12, 1], 3, "Phơi nắng ba ngày, thơm mùi rượu mai quế lộ."),
                ],
            },
            {
                "title": "Hộ bà Trần Thị Mai",
                "kind": "household",
                "representative": "Trần Thị Mai",
                "phone": "0912345614",
                "address": "Ấp Tân Điền",
                "summary": "Rau thơm và hành lá cho chợ đầu mối.",
                "products": [
                    ("Rau thơm các loại", "rau-cu", 30000, "kg", [], None, "Húng quế, ngò gai, tía tô, kinh giới."),
                    ("Hành lá", "rau-cu", 35000, "kg", [], None, "Hành lá tươi, bó 1 kg."),
                ],
            },
            {
                "title": "HTX Thủy sản Cần Giuộc",
                "kind": "cooperative",
                "representative": "Lý Văn Thủy",
                "phone": "0912345615",
                "address": "Ấp Đông Thạnh",
                "summary": "Tôm thẻ nuôi ao đất và khô cá làm thủ công.",
                "products": [
                    ("Tôm thẻ chân trắng", "thuy-san", 180000, "kg", [5, 6, 7, 8, 9, 10], None, "Loại 60 con/kg, giao sống trong ngày."),
                    ("Khô cá đù một nắng", "thuy-san", 250000, "kg", [], 3, "Cá đù phơi một nắng, ít muối."),
                ],
            },
        ],
    },
    {
        "ward_code": 28210,
        "host": "tamvu",
        "former_units": "thị trấn Tầm Vu và các xã lân cận",
        "former_district": "huyện Châu Thành",
        "former_province": "Long An",
        "introduction": "<p>Vùng thanh long Châu Thành: hàng nghìn héc-ta thanh long ruột đỏ, "
        "thắp đèn cho trái nghịch vụ.</p>",
        "committee_address": "Xã Tầm Vu, tỉnh Tây Ninh",
        "committee_phone": "02723877102",
        "producers": [
            {
                "title": "HTX Thanh long Tầm Vu",
                "kind": "cooperative",
                "representative": "Nguyễn Văn Long",
                "phone": "0912345621",
                "address": "Ấp Bình Thạnh",
                "summary": "120 ha thanh long VietGAP, có mã số vùng trồng xuất khẩu.",
                "certs": ["VietGAP", "GlobalGAP"],
                "products": [
                    ("Thanh long ruột đỏ", "trai-cay", 35000, "kg", [5, 6, 7, 8, 9], 4, "Trái 400–600 g, ruột đỏ, ngọt đậm."),
                    ("Thanh long ruột trắng", "trai-cay", 20000, "kg", [5, 6, 7, 8], None, "Trái to, vỏ đỏ tươi, ngọt thanh."),
                ],
            },
            {
                "title": "Cơ sở thanh long sấy Vĩnh Công",
                "kind": "enterprise",
                "representative": "Trương Thị Công",
                "phone": "0912345622",
                "address": "Ấp Vĩnh Bình",
                "summary": "Thanh long sấy dẻo và rượu vang thanh long.",
                "certs": ["ATTP"],
                "products": [
                    ("Thanh long sấy dẻo", "thuc-pham-che-bien", 65000, "tui", [], 3, "Túi 250 g, không đường."),
                    ("Rượu vang thanh long", "do-uong", 180000, "chai", [], 4, "Chai 750 ml, 12 độ."),
                ],
            },
            {
                "title": "Hộ ông Lê Văn Tám",
                "kind": "household",
                "representative": "Lê Văn Tám",
                "phone": "0912345623",
                "address": "Ấp Phú Tây",
                "summary": "Thanh long bao trái và chanh tứ quý.",
                "products": [
                    ("Thanh long ruột đỏ bao trái", "trai-cay", 40000, "kg", [10, 11, 12, 1, 2], None, "Bao trái từ khi ra hoa, vỏ sạch, không xước."),
                    ("Chanh tứ quý", "trai-cay", 25000, "kg", [], None, "Chanh có trái quanh năm."),
                ],
            },
            {
                "title": "Tổ hợp tác thanh long Thanh Phú Long",
                "kind": "cooperative_group",
                "representative": "Phan Văn Phú",
                "phone": "0912345624",
                "address": "Ấp Phú Long",
                "summary": "Thanh long tuyển chọn cho đơn hàng xuất khẩu.",
                "certs": ["VietGAP"],
                "products": [
                    ("Thanh long xuất khẩu", "trai-cay", None, "kg", [5, 6, 7, 8, 9], None, "Hàng tuyển loại 1, đóng thùng 10 kg. Giá theo đơn hàng."),
                    ("Thanh long ruột tím hồng", "trai-cay", 45000, "kg", [6, 7, 8], None, "Giống LĐ5, ruột tím hồng, ngọt đậm."),
                ],
            },
            {
                "title": "HTX Nông nghiệp Hiệp Thạnh",
                "kind": "cooperative",
                "representative": "Đỗ Thị Hiệp",
                "phone": "0912345625",
                "address": "Ấp Hiệp Thạnh",
                "summary": "Bánh tráng và mứt làm từ thanh long.",
                "products": [
                    ("Bánh tráng thanh long", "thuc-pham-che-bien", 40000, "goi", [], None, "Gói 300 g, màu hồng tự nhiên từ thanh long ruột đỏ."),
                    ("Mứt thanh long", "thuc-pham-che-bien", 55000, "hop", [12, 1], None, "Hộp 300 g, mứt dẻo ít ngọt."),
                ],
            },
        ],
    },
]
